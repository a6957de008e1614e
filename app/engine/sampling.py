"""Sampling settings: gpt-oss gets OpenAI's recommendation, other models their own GGUF defaults."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from app.engine.gguf_info import GGUFInfo


@dataclass(frozen=True)
class Sampling:
    temperature: float
    top_p: float
    top_k: int
    min_p: float
    repeat_penalty: float = 1.0

    def overridden(self, *, temperature: float | None = None, top_p: float | None = None) -> Sampling:
        """These settings with the user's choices in place of the model's; None keeps the model's."""
        return dataclasses.replace(
            self,
            temperature=self.temperature if temperature is None else temperature,
            top_p=self.top_p if top_p is None else top_p,
        )


# OpenAI recommends temperature 1.0 and top_p 1.0 for gpt-oss. top_k=0 and min_p=0 switch off the
# other filters, which llama-cpp-python would otherwise apply with its chat defaults (40 / 0.05).
GPT_OSS_SAMPLING = Sampling(temperature=1.0, top_p=1.0, top_k=0, min_p=0.0)
# llama.cpp's own command-line defaults: a sane middle ground for models that state nothing.
GENERIC_SAMPLING = Sampling(temperature=0.8, top_p=0.95, top_k=40, min_p=0.05)


def _number(info: GGUFInfo, key: str) -> float | None:
    value = info.metadata.get(f"general.sampling.{key}")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def default_sampling(info: GGUFInfo) -> Sampling:
    if info.architecture == "gpt-oss":
        return GPT_OSS_SAMPLING
    # Newer conversions record the authors' recommended sampling under general.sampling.*.
    base = GENERIC_SAMPLING
    temp, top_p, top_k, min_p = (_number(info, k) for k in ("temp", "top_p", "top_k", "min_p"))
    return Sampling(
        temperature=base.temperature if temp is None else temp,
        top_p=base.top_p if top_p is None else top_p,
        top_k=base.top_k if top_k is None else int(top_k),
        min_p=base.min_p if min_p is None else min_p,
    )
