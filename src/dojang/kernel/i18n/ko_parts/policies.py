"""Korean for approval policies (결재 규정): their validation, trace and edits."""

from __future__ import annotations

CATALOG: dict[str, str] = {
    "the approval policy is not valid": "결재 규정이 올바르지 않습니다.",
    "the approval policy of form {form} changed since revision {revision}; read it again": (
        "{form} 양식의 결재 규정이 {revision}판 이후 변경되었습니다. 다시 불러오세요."
    ),
    "no form {form}": "{form} 양식이 없습니다.",
    "must be a non-empty list": "하나 이상 입력해야 합니다.",
    "must be a list": "목록이어야 합니다.",
    "must be a list of text": "문자열 목록이어야 합니다.",
    "at most {limit} items": "최대 {limit}개까지 입력할 수 있습니다.",
    "must be text of 1 to {limit}": "1자 이상 {limit}자 이하로 입력해야 합니다.",
    "another rule has this name": "같은 이름의 규칙이 이미 있습니다.",
    "only for a position, person or department": "직위, 사람, 부서에만 지정할 수 있습니다.",
    "unknown field": "알 수 없는 항목입니다.",
    "must be above amount_from": "시작 금액보다 커야 합니다.",
    "must not be negative": "음수일 수 없습니다.",
    "amount {amount} is within {low} to below {high}": (
        "금액 {amount}이(가) {low} 이상 {high} 미만 구간에 해당합니다."
    ),
    "amount {amount} is outside {low} to below {high}": (
        "금액 {amount}이(가) {low} 이상 {high} 미만 구간에 해당하지 않습니다."
    ),
    "category {category} is one of {listed}": "분류 {category}이(가) {listed}에 해당합니다.",
    "category {category} is not one of {listed}": (
        "분류 {category}이(가) {listed}에 해당하지 않습니다."
    ),
    "the drafter's department is listed": "기안자의 부서가 대상 부서에 해당합니다.",
    "the drafter's department is not listed": "기안자의 부서가 대상 부서에 해당하지 않습니다.",
    "the rule always applies": "항상 적용되는 규칙입니다.",
    "the rule {rule} requires {employee_id}; a mandatory approver may not be removed or replaced": (
        "{rule} 규칙에 따라 {employee_id}은(는) 결재선에 있어야 합니다. 필수 결재자는 빼거나 "
        "바꿀 수 없습니다."
    ),
    "the rule {rule} requires {employee_id} in a {kind} stage": (
        "{rule} 규칙에 따라 {employee_id}은(는) {kind} 단계에 있어야 합니다."
    ),
    "the rule {rule} comes after the rule {before}; mandatory stages keep the policy's order": (
        "{rule} 규칙의 단계는 {before} 규칙의 단계 뒤에 와야 합니다. 필수 단계의 순서는 바꿀 수 "
        "없습니다."
    ),
}
