"""Live captions' adapters: ffmpeg reading a live input, faster-whisper hearing it as it grows,
and the session's files (its lease, status, transcript and growing WebVTT)."""
