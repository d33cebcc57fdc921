"""Jobs: the job rules (submit, claim, run, decide, reconcile) and the scan that feeds them."""
