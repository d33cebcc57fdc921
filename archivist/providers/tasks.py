"""The worker's task names, in one place: the queue sends them, the worker defines them, the
schedule and the routes name them (names, so nobody imports the task module to send one)."""

from __future__ import annotations

TRANSCRIBE = "archivist.transcribe"              # a job ticket
PUBLISH = "archivist.publish"                    # publish a finished job's recording
PUBLISH_RECORDING = "archivist.publish_recording"  # staff's button: publish one recording
PUBLISH_DUE = "archivist.publish_due"            # the schedule: publish what is due
SCAN = "archivist.scan"                          # the schedule: scan the city mounts
RECONCILE = "archivist.reconcile"                # the schedule: keep the queue honest
MAKE_PLAYABLE = "archivist.make_playable"        # a recording's browser copy (ffmpeg: minutes)
PLAYABLE_DUE = "archivist.playable_due"          # the schedule: copies lately captioned lack
APPLY_PENDING = "archivist.apply_pending"        # the schedule: corrected captions not yet out

# The quick housekeeping tasks, routed apart from transcriptions.
HOUSEKEEPING = (SCAN, RECONCILE, PUBLISH_DUE, PUBLISH, PUBLISH_RECORDING, PLAYABLE_DUE,
                APPLY_PENDING)

# What the JobQueue adapter sends for each kind of request.
QUEUE_SENDS = {"transcribe": TRANSCRIBE, "publish_job": PUBLISH,
               "publish_recording": PUBLISH_RECORDING, "make_playable": MAKE_PLAYABLE}
