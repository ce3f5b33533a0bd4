# Cognito: the user pool whose tokens the HTTP API's authorizer and every service accept
# (DOJANG_OIDC_ISSUER), one group per Dojang role (the `cognito:groups` claim), and two
# triggers (src/dojang/composition/cognito_triggers.py): pre sign-up refuses an address
# that is not an active employee's, and pre token generation puts the employee id of the
# *verified* address into every token (DOJANG_OIDC_SUBJECT_CLAIM=employee_id). Nothing a
# client writes says who someone is.

locals {
  cognito_issuer = "https://cognito-idp.${var.region}.amazonaws.com/${aws_cognito_user_pool.users.id}"
  roles          = ["admin", "approver", "hr", "finance"]
}

resource "aws_cognito_user_pool" "users" {
  name                     = local.names["users"]
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = var.environment == "prod" ? "ACTIVE" : "INACTIVE"
  mfa_configuration        = "OPTIONAL"

  software_token_mfa_configuration {
    enabled = true
  }

  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_numbers                  = true
    require_symbols                  = false
    require_uppercase                = false
    temporary_password_validity_days = 3
  }

  admin_create_user_config {
    allow_admin_create_user_only = false
  }

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
  }

  schema {
    name                     = "employee_id"
    attribute_data_type      = "String"
    mutable                  = false
    developer_only_attribute = false
    string_attribute_constraints {
      min_length = 1
      max_length = 64
    }
  }

  lambda_config {
    pre_sign_up = module.triggers.lambda_function_arn
    pre_token_generation_config {
      lambda_arn     = module.triggers.lambda_function_arn
      lambda_version = "V2_0" # V2 adds claims to access tokens too
    }
  }

  tags = local.tags
}

resource "aws_cognito_user_pool_client" "web" {
  name            = "${local.names["users"]}-web"
  user_pool_id    = aws_cognito_user_pool.users.id
  generate_secret = false # a public client: the web app, authorization code + PKCE

  allowed_oauth_flows                  = ["code"]
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = ["https://${var.web_domain}/auth/callback"]
  logout_urls                          = ["https://${var.web_domain}/"]

  # the client may write none of the attributes that say who someone is
  write_attributes = ["name"]
  read_attributes  = ["email", "email_verified", "name", "custom:employee_id"]

  access_token_validity  = 15
  id_token_validity      = 15
  refresh_token_validity = 12
  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "hours"
  }
  enable_token_revocation       = true
  prevent_user_existence_errors = "ENABLED"
}

resource "aws_cognito_user_group" "roles" {
  for_each     = toset(local.roles)
  name         = each.value
  user_pool_id = aws_cognito_user_pool.users.id
  description  = "Dojang's ${each.value} role"
}

module "triggers" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "8.0.1"

  # the Dojang image again: dojang.composition.cognito_triggers asks the employee service
  function_name  = "${local.names["users"]}-triggers"
  description    = "Pre sign-up and pre token generation: a person is who HR registered"
  create_package = false
  package_type   = "Image"
  image_uri      = var.employee_image_uri
  architectures  = ["arm64"]
  image_config_entry_point = ["python", "-m", "awslambdaric"]
  image_config_command     = ["dojang.composition.cognito_triggers.handler"]
  timeout                  = 5
  tracing_mode             = "Active"

  vpc_subnet_ids         = module.vpc.private_subnets
  vpc_security_group_ids = [aws_security_group.employee_lambda.id]
  attach_network_policy  = true

  environment_variables = {
    DOJANG_EMPLOYEE_URL = var.employee_internal_url
    DOJANG_SECRETS_ARN  = aws_secretsmanager_secret.employee.arn
  }

  attach_policy_statements = true
  policy_statements = {
    secrets = {
      effect    = "Allow"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [aws_secretsmanager_secret.employee.arn]
    }
    key = {
      effect    = "Allow"
      actions   = ["kms:Decrypt"]
      resources = [aws_kms_key.secrets.arn]
    }
  }

  cloudwatch_logs_retention_in_days = 90

  tags = local.tags
}

resource "aws_lambda_permission" "cognito_triggers" {
  statement_id  = "CognitoTriggers"
  action        = "lambda:InvokeFunction"
  function_name = module.triggers.lambda_function_name
  principal     = "cognito-idp.amazonaws.com"
  source_arn    = aws_cognito_user_pool.users.arn
}
