"""The 巡察办's window over the master database: coverage, units, rounds, team forming, rectification
follow-up, the clue ledger and statistics. Pages call app.services.office through TaskRunner only."""
