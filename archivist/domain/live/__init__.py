"""Live captions: the session's loop and settings, the source's watch (down, back, the gap),
the words' latency, the local-agreement policy, roll-up caption lines, HLS subtitles, the
transcript kept as it is sent and the recording the session became."""
