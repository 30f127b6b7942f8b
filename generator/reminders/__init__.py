"""Reminders (relances): who and why (plan), the letters, the e-mails (.eml, SMTP) and the
sent-once journal. `run` ties them together for `gen reminders`."""
