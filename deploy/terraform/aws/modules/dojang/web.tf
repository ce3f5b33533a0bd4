# The web app: the built `web/dist` in a private S3 bucket, served by CloudFront through
# origin access control (the bucket admits only this distribution). `/api/*` and `/ws` go
# to the HTTP API and the ingress, so the app and its API share one origin.

module "web_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "5.2.0"

  bucket = "${local.names["web"]}-${data.aws_caller_identity.current.account_id}"

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
  control_object_ownership = true
  object_ownership         = "BucketOwnerEnforced"

  versioning = { enabled = true }
  server_side_encryption_configuration = {
    rule = {
      apply_server_side_encryption_by_default = { sse_algorithm = "aws:kms", kms_master_key_id = aws_kms_key.secrets.arn }
      bucket_key_enabled                      = true
    }
  }

  attach_policy = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CloudFrontReadsThroughOriginAccessControl"
      Effect    = "Allow"
      Principal = { Service = "cloudfront.amazonaws.com" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::${local.names["web"]}-${data.aws_caller_identity.current.account_id}/*"
      Condition = { StringEquals = { "AWS:SourceArn" = module.cdn.cloudfront_distribution_arn } }
    }]
  })

  tags = local.tags
}

module "cdn" {
  source  = "terraform-aws-modules/cloudfront/aws"
  version = "5.0.0"

  aliases             = [var.web_domain]
  comment             = "Dojang web app (${var.environment})"
  enabled             = true
  is_ipv6_enabled     = true
  price_class         = "PriceClass_200" # includes Seoul's edge locations
  default_root_object = "index.html"
  http_version        = "http2and3"

  create_origin_access_control = true
  origin_access_control = {
    web = {
      description      = "Dojang web bucket"
      origin_type      = "s3"
      signing_behavior = "always"
      signing_protocol = "sigv4"
    }
  }

  origin = {
    web = {
      domain_name           = module.web_bucket.s3_bucket_bucket_regional_domain_name
      origin_access_control = "web"
    }
    api = {
      domain_name = replace(module.api.api_endpoint, "https://", "")
      custom_origin_config = {
        http_port              = 80
        https_port             = 443
        origin_protocol_policy = "https-only"
        origin_ssl_protocols   = ["TLSv1.2"]
      }
    }
  }

  default_cache_behavior = {
    target_origin_id       = "web"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD", "OPTIONS"]
    cached_methods         = ["GET", "HEAD"]
    compress               = true
    use_forwarded_values   = false
    # CachingOptimized: hashed assets are immutable; index.html says no-cache itself
    cache_policy_id            = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    response_headers_policy_id = "67f7725c-6f97-4210-82d7-5512b31e9d03" # SecurityHeadersPolicy
  }

  ordered_cache_behavior = [{
    path_pattern           = "/api/*"
    target_origin_id       = "api"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods         = ["GET", "HEAD"]
    use_forwarded_values   = false
    cache_policy_id          = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" # CachingDisabled
    origin_request_policy_id = "b689b0a8-53d0-40ab-baf2-68738e2966ac" # AllViewerExceptHostHeader
  }]

  # the single-page app answers its own paths
  custom_error_response = [{
    error_code         = 404
    response_code      = 200
    response_page_path = "/index.html"
  }]

  viewer_certificate = {
    acm_certificate_arn      = var.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  tags = local.tags
}
