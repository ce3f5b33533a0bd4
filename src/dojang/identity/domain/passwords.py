"""The password policy: long enough, not absurdly long, and not trivially guessable."""

from __future__ import annotations

from dataclasses import dataclass

from dojang.kernel.errors import FieldError, InvalidInput
from dojang.kernel.i18n import Message, msg

# argon2 would hash longer input, but nobody types it and it costs memory per request.
MAX_PASSWORD_LENGTH = 256
# zxcvbn's estimate takes time quadratic in the length; it reads this many characters.
ESTIMATED_PREFIX = 72
# zxcvbn's score 3 is about 10^8 guesses: out of reach of an online guesser behind the throttle.
MIN_STRENGTH_SCORE = 3


@dataclass(frozen=True)
class PasswordPolicy:
    """Length first (NIST SP 800-63B), plus refusals of what any guesser tries first.

    A password must have `min_length` to `MAX_PASSWORD_LENGTH` characters, must not be one
    character repeated, must not be digits only, and must not be the account's email address
    or the part of it before the `@`. Beyond those, it must not be easy to guess: zxcvbn
    (its lists of common passwords, names, keyboard walks, dates and l33t spellings, with the
    email as a hint) must estimate it at `MIN_STRENGTH_SCORE` or better, so `password1234`
    and `qwer1234!@#$` are refused. Passphrases of plain words are welcome.
    """

    min_length: int = 10

    def problems(self, password: str, *, email: str | None = None) -> list[Message]:
        """What is wrong with `password`, in words for the user; empty if it is acceptable."""
        if len(password) < self.min_length:
            return [
                msg("must be at least {min_length} characters long", min_length=self.min_length)
            ]
        if len(password) > MAX_PASSWORD_LENGTH:
            return [
                msg("must be at most {max_length} characters long", max_length=MAX_PASSWORD_LENGTH)
            ]
        found: list[Message] = []
        if len(set(password)) == 1:
            found.append(msg("must not be a single character repeated"))
        elif password.isdigit():
            found.append(msg("must not consist of digits only"))
        if email:
            lowered = password.strip().lower()
            if lowered in {email.lower(), email.lower().partition("@")[0]}:
                found.append(msg("must not be your email address"))
        if not found and not self._hard_to_guess(password, email):
            found.append(msg("is too easy to guess: add words or use a passphrase"))
        return found

    @staticmethod
    def _hard_to_guess(password: str, email: str | None) -> bool:
        # imported at the first password checked: its dictionaries cost some 14 MiB
        from zxcvbn import zxcvbn

        hints = [email, email.partition("@")[0]] if email else []
        estimate = zxcvbn(password[:ESTIMATED_PREFIX], user_inputs=hints)
        return int(estimate["score"]) >= MIN_STRENGTH_SCORE

    def check(self, password: str, *, email: str | None = None) -> None:
        """Raise `InvalidInput` (field `password`) unless the password is acceptable."""
        problems = self.problems(password, email=email)
        if problems:
            raise InvalidInput(
                "The password {problem}.",
                errors=[FieldError.of("password", problem) for problem in problems],
                problem=problems[0],
            )
