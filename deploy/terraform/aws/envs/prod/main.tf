# The prod installation: the shared module across two zones, MSK, Multi-AZ stores.

provider "aws" {
  region = "ap-northeast-2"
  default_tags {
    tags = { Project = "dojang", Environment = "prod" }
  }
}

module "dojang" {
  source = "../../modules/dojang"

  environment           = "prod"
  owner                 = "platform@dojang.example"
  web_domain            = "approval.dojang.example"
  certificate_arn       = var.certificate_arn
  alarm_email           = "platform@dojang.example"
  employee_image_uri    = var.employee_image_uri
  employee_internal_url = var.employee_internal_url
  internal_listener_arn = var.internal_listener_arn

  kafka_mode        = "msk"
  database_multi_az = true
  cache_multi_az    = true
  service_nodes = {
    instance_types = ["m7g.large"]
    min_size       = 3
    max_size       = 9
    desired_size   = 3
  }
  database_instance_class = "db.m7g.large"
  cache_node_type         = "cache.m7g.large"
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
