"""The public contracts of Dojang's topics: one module per topic, one model per event type.

A producer builds the model and puts its JSON form in the envelope's `data`; a consumer
validates `data` with the same model. No service imports another's internals to read an
event, and docs/events.md describes exactly these models (a test holds the two together).
"""
