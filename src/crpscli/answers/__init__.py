"""The answers: one module per question, pure functions from the evidence base to a report."""
