"""The station's world in plain Python: recordings, jobs, transcripts, captions.

Nothing here imports anything outside the standard library.
"""
