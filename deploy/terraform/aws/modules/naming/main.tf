# Names and tags of every Dojang resource in one AWS account, without a provider: a name
# is "<project>-<environment>-<component>", short enough for the tightest AWS limit it
# meets (an ALB or ElastiCache name: 40 characters), and every resource carries the same
# tags. Tested by `tofu test` (tests/naming.tftest.hcl), offline.

terraform {
  required_version = ">= 1.8"
}

variable "project" {
  description = "The project's short name, lower-case letters and digits."
  type        = string
  default     = "dojang"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.project))
    error_message = "project: 2 to 12 lower-case letters or digits, starting with a letter."
  }
}

variable "environment" {
  description = "Which installation: dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment: one of dev, staging, prod."
  }
}

variable "components" {
  description = "The components to name (cluster, database, cache, api, web, …)."
  type        = set(string)

  validation {
    condition     = alltrue([for c in var.components : can(regex("^[a-z][a-z0-9-]{0,19}$", c))])
    error_message = "components: lower-case letters, digits and dashes, at most 20 characters each."
  }
}

variable "owner" {
  description = "Who answers for these resources (a team's address), as the Owner tag."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+$", var.owner))
    error_message = "owner: an e-mail address."
  }
}

locals {
  prefix = "${var.project}-${var.environment}"
  names  = { for c in var.components : c => substr("${local.prefix}-${c}", 0, 40) }
}

output "prefix" {
  description = "<project>-<environment>: the start of every name."
  value       = local.prefix
}

output "names" {
  description = "Each component's name."
  value       = local.names
}

output "tags" {
  description = "The tags every resource carries."
  value = {
    Project     = var.project
    Environment = var.environment
    Owner       = var.owner
    ManagedBy   = "terraform"
  }
}
