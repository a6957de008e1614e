"""The Qt user interface. Everything Qt lives under this package and nowhere else."""
