variable "environment" {
  description = "dev, staging or prod."
  type        = string
}

variable "owner" {
  description = "The team that answers for this installation (an e-mail address)."
  type        = string
}

variable "region" {
  description = "The AWS region (Seoul by default)."
  type        = string
  default     = "ap-northeast-2"
}

variable "zones" {
  description = "The two availability zones, named: a list that does not grow when AWS adds a zone."
  type        = list(string)
  default     = ["ap-northeast-2a", "ap-northeast-2c"]

  validation {
    condition     = length(var.zones) == 2
    error_message = "zones: exactly two availability zones."
  }
}

variable "vpc_cidr" {
  description = "The VPC's range: public, private and data subnets are cut from it in two zones."
  type        = string
  default     = "10.40.0.0/16"
}

variable "kubernetes_version" {
  description = "EKS's Kubernetes version."
  type        = string
  default     = "1.34"
}

variable "service_nodes" {
  description = "The services' node group."
  type = object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    desired_size   = number
  })
  default = {
    instance_types = ["m7g.large"]
    min_size       = 2
    max_size       = 6
    desired_size   = 3
  }
}

variable "kafka_mode" {
  description = "msk: Amazon MSK; self-hosted: Strimzi on the tainted `kafka` node group of EKS."
  type        = string
  default     = "msk"

  validation {
    condition     = contains(["msk", "self-hosted"], var.kafka_mode)
    error_message = "kafka_mode: msk or self-hosted."
  }
}

variable "kafka_nodes" {
  description = "The `kafka` node group (self-hosted Kafka only): tainted, so only brokers run there."
  type = object({
    instance_types = list(string)
    size           = number
  })
  default = {
    instance_types = ["r7g.large"]
    size           = 3
  }
}

variable "msk_broker_instance_type" {
  description = "MSK's broker size (kafka_mode = msk)."
  type        = string
  default     = "kafka.m7g.large"
}

variable "database_instance_class" {
  description = "RDS MySQL's instance class."
  type        = string
  default     = "db.m7g.large"
}

variable "database_multi_az" {
  description = "A standby RDS instance in the other zone."
  type        = bool
  default     = true
}

variable "cache_node_type" {
  description = "ElastiCache (Valkey) node type."
  type        = string
  default     = "cache.m7g.large"
}

variable "cache_multi_az" {
  description = "A Valkey replica in the other zone, with automatic failover."
  type        = bool
  default     = true
}

variable "employee_image_uri" {
  description = "The image of the employee API's Lambda function (the Dojang image in ECR, by digest)."
  type        = string

  validation {
    condition     = can(regex("@sha256:[0-9a-f]{64}$", var.employee_image_uri))
    error_message = "employee_image_uri: an image by digest (…@sha256:…)."
  }
}

variable "web_domain" {
  description = "The public name of the web app and API (CloudFront, API Gateway)."
  type        = string
}

variable "certificate_arn" {
  description = "An ACM certificate (us-east-1) for web_domain, for CloudFront."
  type        = string
}

variable "alarm_email" {
  description = "Who is told when an alarm fires."
  type        = string
}

variable "internal_listener_arn" {
  description = "The EKS ingress's internal load balancer listener ARN, which the API's VPC link reaches."
  type        = string
}

variable "employee_internal_url" {
  description = "The employee worker's internal port as the VPC reaches it (an internal load balancer in front of the `employee` Deployment), for the Cognito triggers."
  type        = string

  validation {
    condition     = can(regex("^https?://", var.employee_internal_url))
    error_message = "employee_internal_url: an http(s):// address."
  }
}
