output "cluster_name" {
  description = "The EKS cluster the chart is installed on."
  value       = module.eks.cluster_name
}

output "api_endpoint" {
  description = "The HTTP API's own address (CloudFront sends /api/* there)."
  value       = module.api.api_endpoint
}

output "web_bucket" {
  description = "Where the pipeline puts web/dist."
  value       = module.web_bucket.s3_bucket_id
}

output "cdn_distribution_id" {
  description = "The CloudFront distribution to invalidate after a web release (index.html only)."
  value       = module.cdn.cloudfront_distribution_id
}

output "image_repository" {
  description = "ECR repository of the Dojang image (scan on push, immutable tags)."
  value       = module.ecr.repository_url
}

output "database_endpoint" {
  description = "RDS MySQL's address; its admin password is in Secrets Manager."
  value       = module.database.db_instance_endpoint
}

output "database_password_secret" {
  description = "The Secrets Manager secret RDS keeps the admin password in."
  value       = module.database.db_instance_master_user_secret_arn
}

output "cache_endpoint" {
  description = "Valkey's primary address (TLS)."
  value       = module.cache.replication_group_primary_endpoint_address
}

output "kafka_bootstrap" {
  description = "MSK's TLS+IAM bootstrap brokers, or empty for self-hosted Kafka."
  value       = var.kafka_mode == "msk" ? module.msk[0].bootstrap_brokers_sasl_iam : ""
}

output "oidc_issuer" {
  description = "DOJANG_OIDC_ISSUER: the user pool's issuer."
  value       = local.cognito_issuer
}

output "oidc_client_id" {
  description = "DOJANG_OIDC_CLIENT_ID: the web app's client."
  value       = aws_cognito_user_pool_client.web.id
}
