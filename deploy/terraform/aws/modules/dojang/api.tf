# One HTTP API in front: Cognito's JWT authorizer on every route but the public ones; the
# employee resources go to the employee Lambda, everything else through a VPC link to the
# EKS ingress's internal load balancer. `/internal` is never routed (the chart's ingress
# does not route it either).

resource "aws_security_group" "employee_lambda" {
  name        = "${local.names["employee"]}-lambda"
  description = "The employee API's Lambda function"
  vpc_id      = module.vpc.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_egress_rule" "lambda_to_vpc" {
  security_group_id = aws_security_group.employee_lambda.id
  cidr_ipv4         = var.vpc_cidr
  ip_protocol       = "tcp"
  from_port         = 0
  to_port           = 65535
  description       = "MySQL, and identity's internal port on the services' load balancer"
}

module "employee_lambda" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "8.0.1"

  function_name  = local.names["employee"]
  description    = "Dojang's employee API (dojang.composition.aws_lambda.handler)"
  create_package = false
  package_type   = "Image"
  image_uri      = var.employee_image_uri
  architectures  = ["arm64"]
  image_config_command = ["dojang.composition.aws_lambda.handler"]
  image_config_entry_point = ["python", "-m", "awslambdaric"]

  memory_size = 512
  timeout     = 15
  tracing_mode = "Active"

  vpc_subnet_ids         = module.vpc.private_subnets
  vpc_security_group_ids = [aws_security_group.employee_lambda.id]
  attach_network_policy  = true

  environment_variables = {
    DOJANG_ENVIRONMENT   = var.environment == "prod" ? "production" : "test"
    DOJANG_PUBLIC_URL    = "https://${var.web_domain}"
    DOJANG_OIDC_ISSUER   = local.cognito_issuer
    DOJANG_OIDC_CLIENT_ID = aws_cognito_user_pool_client.web.id
    DOJANG_OIDC_GROUPS_CLAIM = "cognito:groups"
    DOJANG_OIDC_SUBJECT_CLAIM = "employee_id"
    # the database URL and DOJANG_SECRET_KEY come from Secrets Manager at start
    DOJANG_SECRETS_ARN = aws_secretsmanager_secret.employee.arn
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

  create_current_version_allowed_triggers = false
  allowed_triggers = {
    api = {
      service    = "apigateway"
      source_arn = "${module.api.api_execution_arn}/*/*"
    }
  }

  cloudwatch_logs_retention_in_days = 90

  tags = local.tags
}

resource "aws_secretsmanager_secret" "employee" {
  name                    = "${local.names["employee"]}/settings"
  description             = "DOJANG_SECRET_KEY and DOJANG_EMPLOYEE_DATABASE_URL of the employee API"
  recovery_window_in_days = 7
  kms_key_id              = aws_kms_key.secrets.arn
  tags                    = local.tags
}

resource "aws_kms_key" "secrets" {
  description         = "Dojang's secrets (${var.environment})"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "TheAccountManagesTheKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "ServicesUseItForThisAccountOnly"
        Effect    = "Allow"
        Principal = { Service = ["secretsmanager.amazonaws.com", "sns.amazonaws.com", "cloudfront.amazonaws.com", "s3.amazonaws.com"] }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      },
    ]
  })
  tags = local.tags
}

locals {
  public_routes = {
    "ANY /api/auth/{proxy+}"    = "service"
    "GET /.well-known/{proxy+}" = "service"
  }
  employee_routes = [for r in ["employees", "departments", "attendance", "leave"] : "ANY /api/${r}/{proxy+}"]
  employee_roots  = [for r in ["employees", "departments", "attendance", "leave"] : "ANY /api/${r}"]
  service_routes  = [for r in ["forms", "approvals", "inbox", "delegations", "admin/tasks", "notifications"] : "ANY /api/${r}/{proxy+}"]
  service_roots   = [for r in ["forms", "approvals", "inbox", "delegations", "admin/tasks", "notifications"] : "ANY /api/${r}"]

  lambda_integration = {
    uri                    = module.employee_lambda.lambda_function_arn
    payload_format_version = "2.0"
    timeout_milliseconds   = 15000
  }
  service_integration = {
    connection_type    = "VPC_LINK"
    vpc_link_key       = "services"
    uri                = var.internal_listener_arn
    type               = "HTTP_PROXY"
    method             = "ANY"
  }
  authorized = {
    authorization_type = "JWT"
    authorizer_key     = "cognito"
  }
}

module "api" {
  source  = "terraform-aws-modules/apigateway-v2/aws"
  version = "5.3.0"

  name          = local.names["api"]
  description   = "Dojang's public API"
  protocol_type = "HTTP"

  create_domain_name = false

  authorizers = {
    cognito = {
      authorizer_type  = "JWT"
      identity_sources = ["$request.header.Authorization"]
      name             = "cognito"
      jwt_configuration = {
        issuer   = local.cognito_issuer
        audience = [aws_cognito_user_pool_client.web.id]
      }
    }
  }

  vpc_links = {
    services = {
      name               = "${local.names["api"]}-services"
      security_group_ids = [module.eks.node_security_group_id]
      subnet_ids         = module.vpc.private_subnets
    }
  }

  routes = merge(
    { for route, _ in local.public_routes : route => { integration = local.service_integration } },
    { for route in concat(local.employee_routes, local.employee_roots) : route => merge(local.authorized, { integration = local.lambda_integration }) },
    { for route in concat(local.service_routes, local.service_roots) : route => merge(local.authorized, { integration = local.service_integration }) },
  )

  stage_access_log_settings = {
    create_log_group            = true
    log_group_retention_in_days = 90
    format = jsonencode({
      requestId = "$context.requestId"
      route     = "$context.routeKey"
      status    = "$context.status"
      latency   = "$context.responseLatency"
      sub       = "$context.authorizer.claims.sub"
    })
  }

  tags = local.tags
}
