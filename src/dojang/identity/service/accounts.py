"""Creating logins and setting passwords: what the employee service asks of identity."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.exc import IntegrityError

from dojang.identity.adapters.passwords import Argon2Passwords
from dojang.identity.domain.accounts import Account, checked_email, checked_roles
from dojang.identity.domain.passwords import PasswordPolicy
from dojang.identity.service.unit_of_work import IdentityUnitOfWork
from dojang.kernel.clock import Clock
from dojang.kernel.errors import Conflict, InvalidInput, NotFound

MAX_USER_ID_LENGTH = 64


class AccountService:
    """The identity side of `AccountProvisioner` (kernel/ports.py), and password changes."""

    def __init__(
        self,
        unit_of_work: Callable[[], IdentityUnitOfWork],
        passwords: Argon2Passwords,
        policy: PasswordPolicy,
        *,
        clock: Clock,
    ) -> None:
        self._uow = unit_of_work
        self._passwords = passwords
        self._policy = policy
        self._clock = clock

    def check_password(self, password: str) -> None:
        """Raise `InvalidInput` (field `password`) unless the password is strong enough."""
        self._policy.check(password)

    async def prepare_login(self, user_id: str, email: str, password: str) -> None:
        """Keep the password of a login to create when employee `user_id` exists.

        Identity creates the login on `employee.created` (service/employee_events.py). The
        hiring commits the employee after this returns; if it fails, the kept hash names an
        employee that never comes, blocks nothing and is forgotten a day later.
        """
        if not user_id or len(user_id) > MAX_USER_ID_LENGTH:
            raise InvalidInput.field(
                "user_id", "must be 1 to {max_length} characters", max_length=MAX_USER_ID_LENGTH
            )
        self._policy.check(password, email=checked_email(email))
        password_hash = await self._passwords.hash(password)
        async with self._uow() as uow:
            await uow.pending_logins.keep(user_id, password_hash, self._clock.now())
            await uow.commit()

    async def create_account(
        self, user_id: str, email: str, password: str | None, roles: Sequence[str]
    ) -> None:
        """Create a login for an employee; `Conflict` if the email already has one.

        Without a password the account exists but cannot log in until one is set.
        """
        if not user_id or len(user_id) > MAX_USER_ID_LENGTH:
            raise InvalidInput.field(
                "user_id", "must be 1 to {max_length} characters", max_length=MAX_USER_ID_LENGTH
            )
        normalized = checked_email(email)
        granted = checked_roles(roles)
        password_hash = None
        if password is not None:
            self._policy.check(password, email=normalized)
            password_hash = await self._passwords.hash(password)
        now = self._clock.now()
        account = Account(
            id=user_id,
            email=normalized,
            password_hash=password_hash,
            roles=granted,
            active=True,
            created_at=now,
            updated_at=now,
        )
        async with self._uow() as uow:
            if await uow.accounts.by_email(normalized) is not None:
                raise Conflict("An account with this email already exists.")
            if await uow.accounts.get(user_id) is not None:
                raise Conflict("This user already has an account.")
            await uow.accounts.add(account)
            try:
                await uow.commit()
            except IntegrityError as exc:
                raise Conflict("An account with this email already exists.") from exc

    async def set_password(self, user_id: str, password: str) -> None:
        """Give an account a new password; its refresh tokens stop working."""
        async with self._uow() as uow:
            account = await uow.accounts.get(user_id)
        if account is None:
            raise NotFound("There is no account for this user.")
        self._policy.check(password, email=account.email)
        password_hash = await self._passwords.hash(password)
        now = self._clock.now()
        async with self._uow() as uow:
            current = await uow.accounts.get(user_id)
            if current is None:
                raise NotFound("There is no account for this user.")
            await uow.accounts.save(current.with_password_hash(password_hash, now))
            await uow.refresh_tokens.revoke_all_of(user_id, now)
            await uow.commit()
