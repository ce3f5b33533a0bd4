"""Korean for every English message template of the API (the message ids).

Sentences speak 합니다체, as Korean business software does; a field message tells what to
enter. Keep each entry's `{placeholders}` those of its English template (a test checks).
Entries that belong to one feature may live in their own module of `ko_parts`.
"""

from dojang.kernel.i18n.ko_parts import parts

CATALOG: dict[str, str] = {
    # problem titles
    "Bad request": "잘못된 요청",
    "Not authenticated": "인증 필요",
    "Forbidden": "권한 없음",
    "Not found": "찾을 수 없음",
    "Method not allowed": "허용되지 않는 메서드",
    "Conflict": "상태 충돌",
    "Payload too large": "요청 본문이 너무 큼",
    "Unsupported media type": "지원하지 않는 미디어 유형",
    "Invalid input": "입력값 오류",
    "Too many requests": "요청이 너무 많음",
    "Internal server error": "서버 오류",
    "Service unavailable": "서비스를 사용할 수 없음",
    # requests as a whole
    "The request has invalid fields.": "입력값이 올바르지 않은 항목이 있습니다.",
    "The request body is not valid JSON.": "요청 본문이 올바른 JSON 형식이 아닙니다.",
    "not valid JSON (at character {position})": "올바른 JSON이 아닙니다({position}번째 문자).",
    "The request body is larger than {max_bytes} bytes.": (
        "요청 본문이 {max_bytes}바이트를 넘습니다."
    ),
    "The request met a concurrent change and was not applied; try it again.": (
        "동시에 다른 변경이 있어 요청을 처리하지 못했습니다. 다시 시도하세요."
    ),
    "Something went wrong on our side; it has been logged.": (
        "서버에서 문제가 발생했습니다. 오류는 기록되었습니다."
    ),
    "There is nothing at this address.": "요청한 주소에 해당하는 리소스가 없습니다.",
    "This address does not answer this method.": "이 주소에서 지원하지 않는 메서드입니다.",
    "The request body is not of a type this address accepts.": (
        "이 주소에서 받지 않는 형식의 요청 본문입니다."
    ),
    "not a cursor this API issued": "이 API가 발급한 커서가 아닙니다.",
    # validation, by pydantic error type
    "This field is required.": "필수 항목입니다.",
    "This field is not accepted here.": "허용되지 않는 항목입니다.",
    "This field must not be blank.": "공백만으로 입력할 수 없습니다.",
    "This field must not be empty.": "값을 입력하세요.",
    "Enter text.": "문자열을 입력하세요.",
    "Enter a whole number.": "정수를 입력하세요.",
    "Enter a number.": "숫자를 입력하세요.",
    "Enter true or false.": "true 또는 false를 입력하세요.",
    "Enter a date in the YYYY-MM-DD format.": "YYYY-MM-DD 형식의 날짜를 입력하세요.",
    "Enter a date and time with its offset, such as 2026-03-02T09:00:00+09:00.": (
        "2026-03-02T09:00:00+09:00처럼 시간대를 포함한 일시를 입력하세요."
    ),
    "Give the time with its offset, such as +09:00.": "+09:00처럼 시간대를 포함해 입력하세요.",
    "Enter a list.": "목록을 입력하세요.",
    "Enter an object.": "객체를 입력하세요.",
    "Enter a valid URL.": "올바른 URL을 입력하세요.",
    "Enter a valid identifier.": "올바른 식별자를 입력하세요.",
    "Enter at least {min_length} characters.": "{min_length}자 이상 입력하세요.",
    "Enter at most {max_length} characters.": "{max_length}자 이하로 입력하세요.",
    "Enter a number greater than {gt}.": "{gt}보다 큰 숫자를 입력하세요.",
    "Enter a number of at least {ge}.": "{ge} 이상의 숫자를 입력하세요.",
    "Enter a number less than {lt}.": "{lt}보다 작은 숫자를 입력하세요.",
    "Enter a number of at most {le}.": "{le} 이하의 숫자를 입력하세요.",
    "Enter a multiple of {multiple_of}.": "{multiple_of}의 배수를 입력하세요.",
    "Give at least {min_length} items.": "{min_length}개 이상 입력하세요.",
    "Give at most {max_length} items.": "{max_length}개 이하로 입력하세요.",
    "Choose one of: {expected}.": "다음 중 하나를 선택하세요: {expected}.",
    "Enter a three-letter currency code, such as KRW.": "KRW처럼 세 글자 통화 코드를 입력하세요.",
    "This value is not in the expected format.": "형식이 올바르지 않습니다.",
    "This value is not valid.": "올바른 값이 아닙니다.",
    # text and field rules
    "must not be blank": "공백만으로 입력할 수 없습니다.",
    "must not be null": "값을 비워 둘 수 없습니다.",
    "must not contain control characters": "제어 문자를 포함할 수 없습니다.",
    "must not contain text direction controls": "텍스트 방향 제어 문자를 포함할 수 없습니다.",
    "must not contain unpaired surrogates": "잘못된 유니코드 문자를 포함할 수 없습니다.",
    "must be at most {max_length} characters": "{max_length}자 이하로 입력하세요.",
    "must be 1 to {max_length} characters": "1자 이상 {max_length}자 이하로 입력하세요.",
    "must be an email address": "올바른 이메일 주소를 입력하세요.",
    "is not an email address": "올바른 이메일 주소를 입력하세요.",
    "is required": "필수 항목입니다.",
    "is out of range": "허용 범위를 벗어났습니다.",
    "is listed twice": "두 번 지정되었습니다.",
    "is not in the expected format": "형식이 올바르지 않습니다.",
    "must be a number": "숫자를 입력하세요.",
    "must be a whole number": "정수를 입력하세요.",
    "must be text": "문자열을 입력하세요.",
    "must be text or null": "문자열 또는 null을 입력하세요.",
    "must be an object": "객체를 입력하세요.",
    "must be at least 1": "1 이상이어야 합니다.",
    "must be greater than {minimum}": "{minimum}보다 커야 합니다.",
    "must not exceed {maximum}": "{maximum}을(를) 넘을 수 없습니다.",
    "must be a multiple of {step}": "{step} 단위로 입력하세요.",
    "must be one of: {choices}": "다음 중 하나를 선택하세요: {choices}",
    "must be a date written YYYY-MM-DD": "YYYY-MM-DD 형식의 날짜를 입력하세요.",
    "must be a three-letter currency code, such as KRW": "KRW처럼 세 글자 통화 코드를 입력하세요.",
    "must be an ISO 8601 instant with an offset, or null": (
        "시간대를 포함한 ISO 8601 일시 또는 null을 입력하세요."
    ),
    "must carry a time zone offset (RFC 3339)": "시간대(RFC 3339)를 포함해 입력하세요.",
    "must be in the future": "미래의 일시여야 합니다.",
    "must be later than starts_at": "시작 일시(starts_at)보다 뒤여야 합니다.",
    "must not be after `to`": "종료일(`to`)보다 뒤일 수 없습니다.",
    "must not be before start_date": "시작일(start_date)보다 앞설 수 없습니다.",
    # authentication
    "A bearer token is required.": "Bearer 토큰이 필요합니다.",
    "The email or password is incorrect.": "이메일 또는 비밀번호가 올바르지 않습니다.",
    "The refresh token is invalid, expired or already used.": (
        "갱신 토큰이 올바르지 않거나 만료되었거나 이미 사용되었습니다."
    ),
    "Too many failed logins; try again in {retry_after} seconds.": (
        "로그인에 여러 번 실패했습니다. {retry_after}초 후에 다시 시도하세요."
    ),
    "This account has been deactivated.": "비활성화된 계정입니다.",
    "There is no employee record for this login.": "이 로그인에 연결된 직원 정보가 없습니다.",
    "There is no account for this user.": "이 사용자의 계정이 없습니다.",
    "An account with this email already exists.": "이 이메일을 쓰는 계정이 이미 있습니다.",
    "This user already has an account.": "이 사용자는 이미 계정이 있습니다.",
    "This needs the `{role}` role.": "`{role}` 역할이 필요합니다.",
    "token expired": "토큰이 만료되었습니다.",
    "token not yet valid": "아직 유효하지 않은 토큰입니다.",
    "token malformed": "토큰 형식이 올바르지 않습니다.",
    "token is not an access token": "액세스 토큰이 아닙니다.",
    "token names no signing key": "토큰에 서명 키가 지정되어 있지 않습니다.",
    "token algorithm not accepted (RS256 only)": "허용되지 않는 토큰 알고리즘입니다(RS256만 허용).",
    "token lacks the `{claim}` claim": "토큰에 `{claim}` 클레임이 없습니다.",
    "token has an invalid `{claim}` claim": "토큰의 `{claim}` 클레임이 올바르지 않습니다.",
    "signature invalid": "서명이 올바르지 않습니다.",
    "signing keys unavailable": "서명 키를 가져올 수 없습니다.",
    "unknown signing key": "알 수 없는 서명 키입니다.",
    "wrong audience": "토큰의 대상(audience)이 올바르지 않습니다.",
    "wrong issuer": "토큰 발급자가 올바르지 않습니다.",
    "not a WebSocket ticket": "WebSocket 티켓이 아닙니다.",
    "ticket expired": "티켓이 만료되었습니다.",
    "ticket not yet valid": "아직 유효하지 않은 티켓입니다.",
    "ticket malformed": "티켓 형식이 올바르지 않습니다.",
    "ticket lives too long": "티켓의 유효 기간이 너무 깁니다.",
    "ticket lacks the `{claim}` claim": "티켓에 `{claim}` 클레임이 없습니다.",
    "ticket has an invalid `{claim}` claim": "티켓의 `{claim}` 클레임이 올바르지 않습니다.",
    "The service signature does not match.": "서비스 서명이 일치하지 않습니다.",
    "The service signature has expired.": "서비스 서명이 만료되었습니다.",
    "The service signature is malformed.": "서비스 서명 형식이 올바르지 않습니다.",
    "This route is for Dojang's services only.": "Dojang 서비스 사이의 호출에만 쓰는 경로입니다.",
    "the ticket could not be checked in time": "제시간에 티켓을 확인하지 못했습니다.",
    "The login service did not answer in time; nobody was hired. Try again in a moment.": (
        "로그인 서비스가 제시간에 응답하지 않아 직원을 등록하지 않았습니다. 잠시 후 다시 시도하세요."
    ),
    "The leave ledger did not answer in time; try again in a moment.": (
        "휴가 원장이 제시간에 응답하지 않았습니다. 잠시 후 다시 시도하세요."
    ),
    "{topic} has no dead letter at offset {offsets}.": (
        "{topic}에 오프셋 {offsets}의 데드 레터가 없습니다."
    ),
    # passwords
    "The password {problem}.": "사용할 수 없는 비밀번호입니다: {problem}",
    "must be at least {min_length} characters long": "{min_length}자 이상이어야 합니다.",
    "must be at most {max_length} characters long": "{max_length}자 이하여야 합니다.",
    "must not be a single character repeated": "한 문자만 반복할 수 없습니다.",
    "must not consist of digits only": "숫자로만 구성할 수 없습니다.",
    "must not be your email address": "이메일 주소와 같을 수 없습니다.",
    "is too easy to guess: add words or use a passphrase": (
        "추측하기 쉽습니다. 단어를 더하거나 긴 문장을 사용하세요."
    ),
    # employees and organisation
    "There is no employee {employee_id}.": "{employee_id} 직원이 없습니다.",
    "there is no employee {employee_id}": "{employee_id} 직원이 없습니다.",
    "employee {employee_id} is deactivated": "{employee_id} 직원은 비활성화되었습니다.",
    "There is no department {department_id}.": "{department_id} 부서가 없습니다.",
    "there is no department {department_id}": "{department_id} 부서가 없습니다.",
    "There is already a department named '{name}'.": ("\u201c{name}\u201d 부서가 이미 있습니다."),
    "An employee with the email {email} already exists.": "{email} 이메일을 쓰는 직원이 이미 있습니다.",
    "An employee cannot be their own manager.": "자기 자신을 상사로 지정할 수 없습니다.",
    "A department cannot be its own parent.": "부서를 자기 자신의 상위 부서로 지정할 수 없습니다.",
    "The new parent is inside this department; that would make a cycle.": (
        "새 상위 부서가 이 부서의 하위에 있어 순환 구조가 됩니다."
    ),
    "This would make a management cycle: {cycle}": "보고 체계가 순환하게 됩니다: {cycle}",
    "Only an administrator can change another employee.": (
        "다른 직원의 정보는 관리자만 변경할 수 있습니다."
    ),
    "Only an administrator can change {refused}; you may change {allowed}.": (
        "{refused} 항목은 관리자만 변경할 수 있습니다. 직접 변경할 수 있는 항목: {allowed}."
    ),
    "You cannot deactivate yourself.": "자기 자신을 비활성화할 수 없습니다.",
    "You cannot remove your own admin role; ask another administrator.": (
        "자신의 관리자 역할은 해제할 수 없습니다. 다른 관리자에게 요청하세요."
    ),
    "unknown position; choose from {choices}": "알 수 없는 직급입니다. 다음 중에서 선택하세요: {choices}",
    "unknown role {unknown}; choose from {roles}": (
        "알 수 없는 역할입니다({unknown}). 다음 중에서 선택하세요: {roles}"
    ),
    "unknown role '{role}'; roles are {roles}": (
        "알 수 없는 역할입니다(\u201c{role}\u201d). 사용할 수 있는 역할: {roles}"
    ),
    "Only the employee, their managers and administrators can read this.": (
        "본인, 상위 관리자, 관리자만 조회할 수 있습니다."
    ),
    # attendance and leave
    "Only active employees record attendance.": "재직 중인 직원만 출퇴근을 기록할 수 있습니다.",
    "You already checked in on {day}.": "{day}에 이미 출근을 기록했습니다.",
    "You already checked in on {day} at {time}.": "{day} {time}에 이미 출근을 기록했습니다.",
    "You already checked out today at {time}.": "오늘 {time}에 이미 퇴근을 기록했습니다.",
    "You have not checked in.": "출근 기록이 없습니다.",
    "You have not checked in today.": "오늘 출근 기록이 없습니다.",
    "You have not checked in today; your check-in of {day} is too long ago to close.": (
        "오늘 출근 기록이 없습니다. {day}의 출근 기록은 너무 오래되어 퇴근 처리할 수 없습니다."
    ),
    "A check-out cannot come before its check-in.": "퇴근 시각이 출근 시각보다 앞설 수 없습니다.",
    "The leave reservation {reservation_id} already holds other days.": (
        "휴가 예약 {reservation_id}에 이미 다른 일수가 잡혀 있습니다."
    ),
    "{value} is not a number of days": "{value}은(는) 일수가 아닙니다.",
    "{value} is not a positive number of half days": "{value}은(는) 0.5일 단위의 양수가 아닙니다.",
    "only {available} days of leave are available in {year} "
    "(granted {granted}, used {used}, pending {pending}); {requested} requested": (
        "{year}년 사용 가능한 휴가는 {available}일입니다(부여 {granted}일, 사용 {used}일, "
        "결재 대기 {pending}일). 신청한 일수: {requested}일"
    ),
    # approval documents
    "There is no approval document {document_id}.": "{document_id} 결재 문서가 없습니다.",
    "Approval document {approval_id} has no version {version}.": (
        "{approval_id} 결재 문서에 버전 {version}이(가) 없습니다."
    ),
    "Only active employees of the organisation draft documents.": (
        "재직 중인 직원만 문서를 기안할 수 있습니다."
    ),
    "Only the requester may edit this document.": "기안자만 이 문서를 수정할 수 있습니다.",
    "Only the requester may submit this document.": "기안자만 이 문서를 상신할 수 있습니다.",
    "Only the requester may withdraw this document.": "기안자만 이 문서를 회수할 수 있습니다.",
    "Only the requester may resubmit this document.": "기안자만 이 문서를 재상신할 수 있습니다.",
    "The document is {status}; only a draft can be edited.": (
        "{status} 상태의 문서입니다. 임시저장 문서만 수정할 수 있습니다."
    ),
    "The document is {status}; only a draft can be submitted.": (
        "{status} 상태의 문서입니다. 임시저장 문서만 상신할 수 있습니다."
    ),
    "The document is {status}; only one in progress can be withdrawn.": (
        "{status} 상태의 문서입니다. 결재 진행 중인 문서만 회수할 수 있습니다."
    ),
    "The document is {status}; only a rejected or withdrawn document can be resubmitted.": (
        "{status} 상태의 문서입니다. 반려되었거나 회수한 문서만 재상신할 수 있습니다."
    ),
    "A draft has not been submitted, so it cannot be withdrawn.": (
        "상신하지 않은 임시저장 문서는 회수할 수 없습니다."
    ),
    "A draft has nothing to decide.": "임시저장 문서는 결재할 수 없습니다.",
    "The document was changed by someone else meanwhile; load it and try again.": (
        "그사이 다른 사용자가 문서를 변경했습니다. 문서를 다시 불러온 뒤 시도하세요."
    ),
    "approval document {document_id} kept changing; reconcile again.": (
        "{document_id} 결재 문서가 계속 변경되고 있습니다. 다시 맞춰 보세요."
    ),
    "This document already has {count} comments, the most it may hold.": (
        "이 문서에는 이미 최대 개수인 {count}개의 의견이 있습니다."
    ),
    "Only a cc member of the document records a read receipt.": (
        "참조자만 문서를 읽음으로 표시할 수 있습니다."
    ),
    "The document names people who cannot take part.": (
        "문서에 결재나 참조에 참여할 수 없는 사람이 지정되어 있습니다."
    ),
    "the requester is not cc'd on their own document": "기안자는 자신의 문서에 참조자가 될 수 없습니다.",
    "{employee_id} is an approver of this document": "{employee_id}은(는) 이 문서의 결재자입니다.",
    "{employee_id} is listed twice": "{employee_id}이(가) 두 번 지정되었습니다.",
    "The {form} form has invalid fields.": "{form} 양식에 올바르지 않은 항목이 있습니다.",
    "is not a field of the {form} form": "{form} 양식의 항목이 아닙니다.",
    "a half day starts and ends the same day": "반차는 시작일과 종료일이 같아야 합니다.",
    "a half day is 0.5 days": "반차는 0.5일입니다.",
    "must not exceed the {span} calendar days from start_date to end_date": (
        "시작일부터 종료일까지의 {span}일을 넘을 수 없습니다."
    ),
    "nobody in the organisation can approve this by default (the requester has no manager or "
    "department head); send a `line` naming the approvers": (
        "기본 결재선을 만들 수 없습니다(기안자의 상사나 부서장이 없습니다). "
        "결재자를 지정한 결재선(`line`)을 보내세요."
    ),
    # approval lines
    "The approval line is invalid.": "결재선이 올바르지 않습니다.",
    "must have at least one stage": "결재선에 결재 단계가 하나 이상 있어야 합니다.",
    "must name at least one approver": "결재선에 결재자가 한 명 이상 있어야 합니다.",
    "must be an employee id": "직원 ID를 입력하세요.",
    "the requester may not approve their own document": "기안자는 자신의 문서를 결재할 수 없습니다.",
    "appears twice in the line (also at {other})": "결재선에 두 번 들어 있습니다({other}에도 있음).",
    'must be "all", "any" or {"at_least": n}': (
        '"all", "any" 또는 {"at_least": n} 중 하나여야 합니다.'
    ),
    "must not exceed the {count} approvers": "결재자 수({count}명)를 넘을 수 없습니다.",
    "must list approvers of this stage": "이 단계의 결재자를 지정하세요.",
    "must be an approver of this stage": "이 단계의 결재자여야 합니다.",
    # deciding
    "You have no approval to decide on this document.": "이 문서에 대한 결재 권한이 없습니다.",
    "You hold no open approval on this document for that person.": (
        "해당 결재자를 대신해 결재할 수 있는 차례가 없습니다."
    ),
    "You hold several approvals on this document; name one with on_behalf_of.": (
        "이 문서에서 결재할 차례가 여러 개입니다. on_behalf_of로 하나를 지정하세요."
    ),
    "name one of: {choices}": "다음 중 하나를 지정하세요: {choices}",
    "This approval is already decided or no longer open.": (
        "이미 결재했거나 결재할 수 없는 상태입니다."
    ),
    "Your approval on this document is already decided or no longer open.": (
        "이미 결재했거나 결재할 수 없는 상태입니다."
    ),
    "Only a final authority of this stage may approve it finally (전결).": (
        "이 단계의 전결권자만 전결할 수 있습니다."
    ),
    "a rejection needs a reason": "반려 사유를 입력하세요.",
    "was already used for another request; use a new key": (
        "다른 요청에 이미 사용된 키입니다. 새 키를 사용하세요."
    ),
    # delegations and tasks (대결)
    "The delegation is not valid.": "대결 설정이 올바르지 않습니다.",
    "you cannot delegate to yourself": "자기 자신에게 대결을 지정할 수 없습니다.",
    "You already delegate to {delegate_id} from {starts_at} to {ends_at}.": (
        "{starts_at}부터 {ends_at}까지 이미 {delegate_id}에게 대결을 지정했습니다."
    ),
    "There is no delegation {delegation_id} you may revoke.": (
        "해제할 수 있는 대결 설정 {delegation_id}이(가) 없습니다."
    ),
    "There is no task {task_id}.": "{task_id} 결재 작업이 없습니다.",
    "Task {task_id} is {status}, not pending: nobody holds it any more.": (
        "{task_id} 결재 작업은 {status} 상태로, 더 이상 대기 중이 아닙니다."
    ),
    "Task {task_id} kept changing while it was reassigned; try again.": (
        "{task_id} 결재 작업이 재지정 중에 계속 변경되었습니다. 다시 시도하세요."
    ),
    "the document's requester cannot hold a task of it": "기안자는 자신의 문서를 결재할 수 없습니다.",
    # notifications
    "You have no notification {notification_id}.": "{notification_id} 알림이 없습니다.",
    "{requester} asked for your approval: {title}": "{requester} 님이 결재를 요청했습니다: {title}",
    "{requester} asked for your agreement: {title}": "{requester} 님이 합의를 요청했습니다: {title}",
    "Reminder: {requester} has waited {waited} for your approval: {title}": (
        "미결재 알림: {requester} 님이 {waited} 동안 결재를 기다리고 있습니다: {title}"
    ),
    "Reminder: {requester} has waited {waited} for your agreement: {title}": (
        "미결재 알림: {requester} 님이 {waited} 동안 합의를 기다리고 있습니다: {title}"
    ),
    "less than an hour": "1시간 미만",
    "1 hour": "1시간",
    "{hours} hours": "{hours}시간",
    "{days} days": "{days}일",
    "Your document was approved: {title}": "문서가 최종 승인되었습니다: {title}",
    "Your document was approved: {title} ({number})": "문서가 최종 승인되었습니다: {title} ({number})",
    "{requester}'s document was approved: {title}": "{requester} 님의 문서가 승인되었습니다: {title}",
    "Your document was rejected: {title}": "문서가 반려되었습니다: {title}",
    "Your document was rejected: {title}. Reason: {reason}": (
        "문서가 반려되었습니다: {title}. 반려 사유: {reason}"
    ),
    "{requester}'s document was rejected: {title}": "{requester} 님의 문서가 반려되었습니다: {title}",
    "You withdrew your document: {title}": "문서를 회수했습니다: {title}",
    "{requester} withdrew a document that was waiting for you: {title}": (
        "{requester} 님이 결재 대기 중이던 문서를 회수했습니다: {title}"
    ),
    "{author} commented on your document: {title} \u2014 \u201c{comment}\u201d": (
        "{author} 님이 문서에 의견을 남겼습니다: {title} \u2014 \u201c{comment}\u201d"
    ),
    # choice labels
    "draft": "임시저장",
    "in progress": "진행 중",
    "approved": "승인",
    "rejected": "반려",
    "withdrawn": "회수",
    "waiting": "대기",
    "skipped": "생략",
    "Annual leave": "연차",
    "Half day (morning)": "오전 반차",
    "Half day (afternoon)": "오후 반차",
    "Sick leave": "병가",
    "Family event leave": "경조사 휴가",
    "Other leave": "기타 휴가",
    "Travel": "출장비",
    "Meals": "식대",
    "Supplies": "소모품",
    "Equipment": "비품",
    "Training": "교육비",
    "Other": "기타",
    # operators' tools: users and the organisation file
    "There is no employee with the email {email}.": "이메일이 {email}인 직원이 없습니다.",
    "give the new password on standard input": "새 비밀번호를 표준 입력으로 주세요",
    "Nothing was imported: {count} problems found.": "가져온 것이 없습니다: 문제 {count}건이 있습니다.",
    "The header line is not usable.": "머리글 줄을 쓸 수 없습니다.",
    "{path} is not UTF-8 text ({reason})": "{path}은(는) UTF-8 텍스트가 아닙니다 ({reason})",
    "{path} is empty: it needs a header line": "{path}이(가) 비어 있습니다: 머리글 줄이 있어야 합니다",
    "more than {rows} rows": "{rows}줄을 넘습니다",
    "unknown column '{column}' ({known})": "알 수 없는 열 “{column}” ({known})",
    "a {column} column is required": "{column} 열이 있어야 합니다",
    "{count} cells where the header has {expected}": "머리글은 {expected}칸인데 {count}칸입니다",
    "name and email are required": "이름과 이메일은 꼭 있어야 합니다",
    "unknown position '{position}'": "알 수 없는 직위 “{position}”",
    "unknown role '{role}' ({roles})": "알 수 없는 역할 “{role}” ({roles})",
    "the two entries differ": "두 번 입력한 값이 다릅니다",
    # leave
    "must be in the years {first}-{last}": "{first}년부터 {last}년 사이여야 합니다",
    "a leave spans at most {days} days": "휴가는 최대 {days}일까지 신청할 수 있습니다",
    "The leave overlaps leave already requested.": "이미 신청한 휴가와 날짜가 겹칩니다.",
    # the employee API on AWS Lambda
    "no claims verified by API Gateway's authorizer": "API Gateway 인증기가 확인한 클레임이 없습니다",
    # command line
    "Demo data is refused in production (DOJANG_ENVIRONMENT=production): its logins share a "
    "published password. Add real users with `dojang user add`.": (
        "운영 환경(DOJANG_ENVIRONMENT=production)에서는 데모 데이터를 넣을 수 없습니다. "
        "데모 로그인은 공개된 비밀번호를 씁니다. `dojang user add`로 실제 사용자를 추가하세요."
    ),
}

for _name, _part in parts():
    CATALOG.update({k: v for k, v in _part.items() if k not in CATALOG})
