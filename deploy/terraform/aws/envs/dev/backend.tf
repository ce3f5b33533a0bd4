# Remote state in S3, with S3's own lock file (no DynamoDB table), encrypted; one key per
# environment. The bucket is made once by hand or by a bootstrap root (docs/deploy.md).
terraform {
  backend "s3" {
    bucket       = "dojang-terraform-state"
    key          = "dev/dojang.tfstate"
    region       = "ap-northeast-2"
    encrypt      = true
    use_lockfile = true
  }
}
