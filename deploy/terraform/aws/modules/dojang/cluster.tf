# EKS: the services' node group, and for self-hosted Kafka a node group tainted so that only
# the brokers (which tolerate the taint) run there.

locals {
  kafka_node_groups = var.kafka_mode == "self-hosted" ? {
    kafka = {
      instance_types = var.kafka_nodes.instance_types
      min_size       = var.kafka_nodes.size
      max_size       = var.kafka_nodes.size
      desired_size   = var.kafka_nodes.size
      labels         = { "dojang.dev/pool" = "kafka" }
      taints = {
        kafka = {
          key    = "dojang.dev/kafka"
          value  = "true"
          effect = "NO_SCHEDULE"
        }
      }
    }
  } : {}
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "21.1.0"

  name               = local.names["cluster"]
  kubernetes_version = var.kubernetes_version

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  endpoint_public_access = false
  enable_irsa            = true

  addons = {
    coredns                = {}
    kube-proxy             = {}
    vpc-cni                = { before_compute = true }
    eks-pod-identity-agent = { before_compute = true }
    aws-ebs-csi-driver     = {}
  }

  eks_managed_node_groups = merge({
    services = {
      instance_types = var.service_nodes.instance_types
      ami_type       = "AL2023_ARM_64_STANDARD"
      min_size       = var.service_nodes.min_size
      max_size       = var.service_nodes.max_size
      desired_size   = var.service_nodes.desired_size
      labels         = { "dojang.dev/pool" = "services" }
    }
  }, local.kafka_node_groups)

  tags = local.tags
}

module "ecr" {
  source  = "terraform-aws-modules/ecr/aws"
  version = "2.4.0"

  repository_name                 = local.names["images"]
  repository_image_tag_mutability = "IMMUTABLE"
  repository_image_scan_on_push   = true
  repository_encryption_type      = "KMS"
  repository_lifecycle_policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "keep the last 50 images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 50 }
      action       = { type = "expire" }
    }]
  })

  tags = local.tags
}
