# The SQL services' databases on RDS MySQL 8 (one schema per service, docs/mariadb.md), and
# the fan-out, socket limits and spent WebSocket tickets on ElastiCache Valkey.

resource "aws_security_group" "data" {
  name        = "${local.names["database"]}-clients"
  description = "Reached only from the EKS nodes and the employee Lambda"
  vpc_id      = module.vpc.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "mysql_from_nodes" {
  security_group_id            = aws_security_group.data.id
  referenced_security_group_id = module.eks.node_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  description                  = "MySQL from the services"
}

resource "aws_vpc_security_group_ingress_rule" "mysql_from_lambda" {
  security_group_id            = aws_security_group.data.id
  referenced_security_group_id = aws_security_group.employee_lambda.id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
  description                  = "MySQL from the employee API"
}

resource "aws_vpc_security_group_ingress_rule" "valkey_from_nodes" {
  security_group_id            = aws_security_group.data.id
  referenced_security_group_id = module.eks.node_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  description                  = "Valkey from the notification service"
}

module "database" {
  source  = "terraform-aws-modules/rds/aws"
  version = "6.12.0"

  identifier           = local.names["database"]
  engine               = "mysql"
  engine_version       = "8.0"
  family               = "mysql8.0"
  major_engine_version = "8.0"
  instance_class       = var.database_instance_class

  allocated_storage     = 50
  max_allocated_storage = 500
  storage_encrypted     = true

  db_name  = "dojang"
  username = "dojang_admin"
  # the password lives in Secrets Manager, made and rotated by RDS: never in this code
  manage_master_user_password = true

  multi_az               = var.database_multi_az
  db_subnet_group_name   = module.vpc.database_subnet_group_name
  vpc_security_group_ids = [aws_security_group.data.id]

  # Dojang's text semantics (docs/mariadb.md): utf8mb4, binary collation, UTC, strict
  parameters = [
    { name = "character_set_server", value = "utf8mb4" },
    { name = "collation_server", value = "utf8mb4_bin" },
    { name = "time_zone", value = "UTC" },
    { name = "transaction_isolation", value = "READ-COMMITTED" },
  ]

  backup_retention_period               = var.environment == "prod" ? 30 : 7
  deletion_protection                   = var.environment == "prod"
  performance_insights_enabled          = true
  monitoring_interval                   = 60
  create_monitoring_role                = true
  iam_database_authentication_enabled   = true
  auto_minor_version_upgrade            = true
  enabled_cloudwatch_logs_exports       = ["error", "slowquery"]
  copy_tags_to_snapshot                 = true
  skip_final_snapshot                   = var.environment != "prod"
  final_snapshot_identifier_prefix      = "${local.names["database"]}-final"

  tags = local.tags
}

module "cache" {
  source  = "terraform-aws-modules/elasticache/aws"
  version = "1.6.0"

  replication_group_id = local.names["cache"]
  engine               = "valkey"
  engine_version       = "8.0"
  node_type            = var.cache_node_type

  num_cache_clusters         = var.cache_multi_az ? 2 : 1
  multi_az_enabled           = var.cache_multi_az
  automatic_failover_enabled = var.cache_multi_az

  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  auth_token_update_strategy = "ROTATE"

  vpc_id                = module.vpc.vpc_id
  subnet_ids            = module.vpc.database_subnets
  create_security_group = false
  security_group_ids    = [aws_security_group.data.id]

  create_parameter_group = true
  parameter_group_family = "valkey8"

  tags = local.tags
}
