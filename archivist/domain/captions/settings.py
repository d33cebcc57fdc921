"""Caption settings: the rules cues must keep, per profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class CueRules:
    """Limits one caption profile keeps (broadcast CEA-608, or web)."""

    max_chars: int = 32        # characters a line
    max_lines: int = 2         # lines a caption
    min_duration: float = 1.0  # seconds a caption stays up, at least
    max_duration: float = 7.0  # seconds a caption stays up, at most
    max_cps: float = 20.0      # reading rate, characters per second


@dataclass(frozen=True, slots=True)
class CaptionSettings:
    """Everything `render` needs besides the transcript."""

    broadcast: CueRules = field(default_factory=CueRules)   # SCC
    web: CueRules = field(default_factory=CueRules)         # WebVTT, SRT
    scc_start_timecode: str = "00:00:00;00"
    scc_row: int = 15                                       # bottom row of the caption block
    music_broadcast: str = "♪"                              # the music tag in SCC ("": none)
    music_web: str = "[MUSIC]"                              # ... in WebVTT and SRT

    @classmethod
    def from_config(cls, cfg: dict[str, Any]) -> CaptionSettings:
        """Build from the `captions` section of the configuration."""
        scc = cfg.get("scc", {})
        tags = cfg.get("sound_tags", {})
        return cls(
            music_broadcast=str(tags.get("music_scc", "♪")),
            music_web=str(tags.get("music_web", "[MUSIC]")),
            broadcast=CueRules(**cfg.get("broadcast", {})),
            web=CueRules(**cfg.get("web", {})),
            scc_start_timecode=scc.get("start_timecode", "00:00:00;00"),
            scc_row=int(scc.get("row", 15)),
        )
