"""The worker's task names, in one place: the queue sends them, the worker defines them, the
schedule and the routes name them (names, so nobody imports the task module to send one)."""

from __future__ import annotations

TRANSCRIBE = "archivist.transcribe"              # a job ticket
PUBLISH = "archivist.publish"                    # publish a finished job's recording
PUBLISH_RECORDING = "archivist.publish_recording"  # staff's button: publish one recording
PUBLISH_DUE = "archivist.publish_due"            # the schedule: publish what is due
SCAN = "archivist.scan"                          # the schedule: scan the city mounts
RECONCILE = "archivist.reconcile"                # the schedule: keep the queue honest

# The quick housekeeping tasks, routed apart from transcriptions.
HOUSEKEEPING = (SCAN, RECONCILE, PUBLISH_DUE, PUBLISH, PUBLISH_RECORDING)

# What the JobQueue adapter sends for each kind of request.
QUEUE_SENDS = {"transcribe": TRANSCRIBE, "publish_job": PUBLISH,
               "publish_recording": PUBLISH_RECORDING}
