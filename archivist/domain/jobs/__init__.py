"""Jobs: intake, running, staff actions and reconcile (behind `rules.Jobs`), checkpoints, and the scan."""
