# Kafka: Amazon MSK (kafka_mode = msk), three brokers over the two zones' private subnets,
# TLS and IAM authentication; or nothing here, and Strimzi runs the brokers on the tainted
# `kafka` node group (kafka_mode = self-hosted, cluster.tf).

resource "aws_security_group" "kafka" {
  count       = var.kafka_mode == "msk" ? 1 : 0
  name        = "${local.names["kafka"]}-brokers"
  description = "MSK brokers, reached only from the EKS nodes"
  vpc_id      = module.vpc.vpc_id
  tags        = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "kafka_from_nodes" {
  count                        = var.kafka_mode == "msk" ? 1 : 0
  security_group_id            = aws_security_group.kafka[0].id
  referenced_security_group_id = module.eks.node_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  description                  = "Kafka over TLS with IAM authentication"
}

module "msk" {
  source  = "terraform-aws-modules/msk-kafka-cluster/aws"
  version = "2.13.0"
  count   = var.kafka_mode == "msk" ? 1 : 0

  name                   = local.names["kafka"]
  kafka_version          = "3.9.x"
  number_of_broker_nodes = 2 * length(local.azs) > 3 ? 2 * length(local.azs) : 4

  broker_node_client_subnets  = module.vpc.private_subnets
  broker_node_instance_type   = var.msk_broker_instance_type
  broker_node_security_groups = [aws_security_group.kafka[0].id]
  broker_node_storage_info = {
    ebs_storage_info = { volume_size = 200 }
  }

  encryption_in_transit_client_broker = "TLS"
  encryption_in_transit_in_cluster    = true
  client_authentication = {
    sasl = { iam = true }
  }

  # Dojang's topics: replication 3, and a write needs 2 in sync (docs/kafka.md)
  configuration_name = "${local.names["kafka"]}-config"
  configuration_server_properties = {
    "auto.create.topics.enable"  = false
    "default.replication.factor" = 3
    "min.insync.replicas"        = 2
    "unclean.leader.election.enable" = false
  }

  enhanced_monitoring    = "PER_TOPIC_PER_PARTITION"
  cloudwatch_logs_enabled = true

  tags = local.tags
}
