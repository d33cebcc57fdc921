"""Caption encoders taking live roll-up captions: EEG Smart Encoders in RealTime mode over TCP."""
