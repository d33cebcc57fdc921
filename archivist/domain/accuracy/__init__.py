"""Accuracy you can see: how far the machine's words were from a person's (an approved
revision, or a caption file a person made), as a word error rate per recording and per city."""
