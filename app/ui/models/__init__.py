"""Qt item models. They hold plain rows handed over by background tasks; none of them reads the
database itself, so each can be tested without widgets."""
