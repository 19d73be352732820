"""Events and evidence per note/booking: structured exports and text hits."""
