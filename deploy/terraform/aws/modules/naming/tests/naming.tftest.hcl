# `tofu test` of the naming module: no provider, no cloud.

variables {
  environment = "prod"
  components  = ["cluster", "database", "approval-workers"]
  owner       = "platform@dojang.example"
}

run "names_start_with_project_and_environment" {
  command = plan

  assert {
    condition     = output.names["cluster"] == "dojang-prod-cluster"
    error_message = "a name is <project>-<environment>-<component>"
  }

  assert {
    condition     = alltrue([for n in values(output.names) : length(n) <= 40])
    error_message = "no name is longer than 40 characters"
  }

  assert {
    condition     = output.tags["Environment"] == "prod" && output.tags["ManagedBy"] == "terraform"
    error_message = "every resource is tagged with its environment and manager"
  }
}

run "an_unknown_environment_is_refused" {
  command = plan

  variables {
    environment = "production"
  }

  expect_failures = [var.environment]
}

run "an_owner_that_is_not_an_address_is_refused" {
  command = plan

  variables {
    owner = "platform team"
  }

  expect_failures = [var.owner]
}
