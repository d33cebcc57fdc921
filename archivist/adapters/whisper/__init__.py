"""faster-whisper: the transcriber adapter, the sound read block by block, speech found, the spectrogram."""
