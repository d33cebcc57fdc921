"""Jobs: intake, running, staff actions and reconcile (behind `rules.Jobs`), and the scan."""
