"""The approval database on a MongoDB-wire server: its collections and their indexes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError, OperationFailure
from pymongo.uri_parser import parse_uri

from dojang.approval.adapters.mongo.commands import CommandCounts

Record = dict[str, Any]
WriteGuardMode = Literal["token", "none"]

DOCUMENTS = "documents"
NUMBERS = "number_counters"
DELEGATIONS = "delegations"
PROCESSED = "processed_events"
LEASES = "relay_leases"
WRITE_TOKENS = "write_tokens"
POLICIES = "policies"


@dataclass(frozen=True)
class IndexSpec:
    """One index a collection needs: its keys, in order, and whether they are unique."""

    collection: str
    keys: tuple[tuple[str, int], ...]
    unique: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        """The indexed fields, leading one first."""
        return tuple(name for name, _ in self.keys)


# Every query of the repository, the relay, numbering and the consumers filters on the
# leading fields of one of these (tests/integration/test_approval_mongo_indexes.py checks).
INDEXES = (
    # every box: the documents one box of one viewer holds ("box:viewer"), newest first
    IndexSpec(DOCUMENTS, (("boxes", ASCENDING), ("_id", DESCENDING))),
    # text search: the trigrams of each document's searchable text (docs/search.md)
    IndexSpec(DOCUMENTS, (("grams", ASCENDING),)),
    # documents in progress in id order (reconciliation), and status filters
    IndexSpec(DOCUMENTS, (("status", ASCENDING), ("_id", ASCENDING))),
    # a number belongs to one document; unnumbered documents hold "~<id>" (no partial indexes)
    IndexSpec(DOCUMENTS, (("number_key", ASCENDING),), unique=True),
    # the relay's documents with events still to publish
    IndexSpec(DOCUMENTS, (("relay_due", ASCENDING), ("_id", ASCENDING))),
    # consumers' applied event ids and remembered decision answers, kept in the document
    IndexSpec(DOCUMENTS, (("applied", ASCENDING),)),
    IndexSpec(DOCUMENTS, (("answer_keys", ASCENDING),)),
    IndexSpec(DELEGATIONS, (("delegator_id", ASCENDING), ("ends_at", ASCENDING))),
    # the sweep of old write tokens
    IndexSpec(WRITE_TOKENS, (("at", ASCENDING),)),
)


def is_duplicate_key(exc: BaseException) -> bool:
    """Whether a write failed on a unique index. MongoDB says so with code 11000; FerretDB
    1.x says so for an update only in the text of an internal error from PostgreSQL."""
    if isinstance(exc, DuplicateKeyError):
        return True
    return isinstance(exc, OperationFailure) and "duplicate key" in str(exc)


class MongoStore:
    """The client, the database named by the URL's path, and its collections; `write_guard`
    says whether conditional updates take a write token first (`guard.py`)."""

    def __init__(self, url: str, *, write_guard: WriteGuardMode = "token") -> None:
        database = parse_uri(url).get("database")
        if not database:
            raise ValueError("the approval MongoDB URL must name its database in its path")
        self.url = url
        self.write_guard: WriteGuardMode = write_guard
        self.commands = CommandCounts()
        self.client: AsyncMongoClient[Record] = AsyncMongoClient(
            url, tz_aware=True, event_listeners=[self.commands]
        )
        self.database = self.client[database]
        self.documents: AsyncCollection[Record] = self.database[DOCUMENTS]
        self.numbers: AsyncCollection[Record] = self.database[NUMBERS]
        self.delegations: AsyncCollection[Record] = self.database[DELEGATIONS]
        self.processed: AsyncCollection[Record] = self.database[PROCESSED]
        self.leases: AsyncCollection[Record] = self.database[LEASES]
        self.write_tokens: AsyncCollection[Record] = self.database[WRITE_TOKENS]

    def collection(self, name: str) -> AsyncCollection[Record]:
        """The collection called `name`."""
        return self.database[name]

    async def create_indexes(self) -> None:
        """Create every index of `INDEXES` (a no-op for those that exist)."""
        for spec in INDEXES:
            await self.collection(spec.collection).create_index(list(spec.keys), unique=spec.unique)

    async def fill_boxes(self, derived: Callable[[Record], Record]) -> int:
        """Give `boxes` (and the other fields `derived` computes from a record) to the
        documents stored before it existed; how many were given it.

        Each update is conditional on the field still missing, so a document saved meanwhile
        (which writes its own `boxes`) is left as it is.
        """
        filled = 0
        async for record in self.documents.find({"boxes": {"$exists": False}}):
            result = await self.documents.update_one(
                {"_id": record["_id"], "boxes": {"$exists": False}},
                {"$set": derived(record)},
            )
            filled += result.modified_count
        return filled

    async def ping(self) -> None:
        """Raise unless the server answers."""
        await self.database.command("ping")

    async def close(self) -> None:
        """Close the client's connections."""
        await self.client.close()
