# The dev installation: the shared module, small and single-zone where it saves money.

provider "aws" {
  region = "ap-northeast-2"
  default_tags {
    tags = { Project = "dojang", Environment = "dev" }
  }
}

module "dojang" {
  source = "../../modules/dojang"

  environment           = "dev"
  owner                 = "platform@dojang.example"
  web_domain            = "dev.approval.dojang.example"
  certificate_arn       = var.certificate_arn
  alarm_email           = "platform@dojang.example"
  employee_image_uri    = var.employee_image_uri
  employee_internal_url = var.employee_internal_url
  internal_listener_arn = var.internal_listener_arn

  kafka_mode        = "self-hosted"
  database_multi_az = false
  cache_multi_az    = false
  service_nodes = {
    instance_types = ["t4g.large"]
    min_size       = 2
    max_size       = 3
    desired_size   = 2
  }
  database_instance_class = "db.t4g.medium"
  cache_node_type         = "cache.t4g.small"
}

variable "certificate_arn" {
  description = "ACM certificate (us-east-1) for the web domain."
  type        = string
}

variable "employee_image_uri" {
  description = "The Dojang image by digest."
  type        = string
}

variable "employee_internal_url" {
  description = "The employee worker's internal load balancer."
  type        = string
}

variable "internal_listener_arn" {
  description = "The ingress's internal load balancer listener."
  type        = string
}
