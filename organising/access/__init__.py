"""Who may do what: the Team tab (an e-mail's role), the limits on passcode
guessing, and kiosk links for signing people in at an event."""
