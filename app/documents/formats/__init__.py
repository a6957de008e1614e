"""One module per kind of file: each turns the file's bytes into text, anchors and notes."""
