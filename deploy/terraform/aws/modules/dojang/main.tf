# Dojang's distributed mode on AWS: the services on EKS (Helm chart deploy/helm/dojang), the
# employee API on Lambda, one HTTP API in front with Cognito's JWT authorizer, RDS MySQL,
# ElastiCache Valkey, MSK or Strimzi on tainted nodes, the MongoDB-wire store (DocumentDB is
# not used: Dojang needs MongoDB 7 semantics; the chart's in-cluster replica set, or Atlas),
# the web app on S3 behind CloudFront, ECR, and CloudWatch alarms.

data "aws_caller_identity" "current" {}

module "naming" {
  source      = "../naming"
  environment = var.environment
  owner       = var.owner
  components  = ["network", "cluster", "database", "cache", "kafka", "api", "employee", "web", "users", "alarms", "images"]
}

locals {
  names = module.naming.names
  tags  = module.naming.tags
  azs   = var.zones
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "6.0.1"

  name = local.names["network"]
  cidr = var.vpc_cidr
  azs  = local.azs

  public_subnets   = [for i in range(2) : cidrsubnet(var.vpc_cidr, 8, i)]
  private_subnets  = [for i in range(2) : cidrsubnet(var.vpc_cidr, 4, i + 1)]
  database_subnets = [for i in range(2) : cidrsubnet(var.vpc_cidr, 8, i + 200)]

  create_database_subnet_group = true
  enable_nat_gateway           = true
  single_nat_gateway           = var.environment != "prod"
  enable_dns_hostnames         = true

  enable_flow_log                      = true
  create_flow_log_cloudwatch_log_group = true
  create_flow_log_cloudwatch_iam_role  = true

  public_subnet_tags  = { "kubernetes.io/role/elb" = 1 }
  private_subnet_tags = { "kubernetes.io/role/internal-elb" = 1 }

  tags = local.tags
}
