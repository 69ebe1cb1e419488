"""The "consider social value" checklist: rules, reasons checker and records."""
