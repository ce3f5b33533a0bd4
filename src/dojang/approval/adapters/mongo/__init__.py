"""MongoDB storage of approval documents (docs/approval-mongo.md): one document per approval
with its pending events, answers and applied event ids inside, so one update holds a change."""
