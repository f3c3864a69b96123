"""What coordinators and trustees read: the dashboard's figures, the funder report, its PDF and charts."""
