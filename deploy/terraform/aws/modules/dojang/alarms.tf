# CloudWatch alarms, the seed's and more: the API's 5xx rate, container restarts, the employee
# Lambda's error rate, and Kafka consumer lag (MSK's per-group metric).

resource "aws_sns_topic" "alarms" {
  name              = local.names["alarms"]
  kms_master_key_id = aws_kms_key.secrets.arn
  tags              = local.tags
}

resource "aws_sns_topic_subscription" "alarms_email" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "api_5xx_rate" {
  alarm_name          = "${local.names["api"]}-5xx-rate"
  alarm_description   = "More than 2 % of the API's answers were 5xx for 5 minutes"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 2
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "rate"
    expression  = "100 * errors / MAX([requests, 1])"
    label       = "5xx %"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "5xx"
      dimensions  = { ApiId = module.api.api_id }
      period      = 60
      stat        = "Sum"
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = { ApiId = module.api.api_id }
      period      = 60
      stat        = "Sum"
    }
  }
  tags = local.tags
}

resource "aws_cloudwatch_metric_alarm" "container_restarts" {
  alarm_name          = "${local.names["cluster"]}-container-restarts"
  alarm_description   = "A Dojang container restarted more than 3 times in 15 minutes (Container Insights)"
  namespace           = "ContainerInsights"
  metric_name         = "pod_number_of_container_restarts"
  dimensions          = { ClusterName = module.eks.cluster_name, Namespace = "dojang" }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  threshold           = 3
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "employee_lambda_errors" {
  alarm_name          = "${local.names["employee"]}-error-rate"
  alarm_description   = "More than 1 % of the employee API's invocations failed for 5 minutes"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 1
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "rate"
    expression  = "100 * errors / MAX([invocations, 1])"
    label       = "error %"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      dimensions  = { FunctionName = module.employee_lambda.lambda_function_name }
      period      = 60
      stat        = "Sum"
    }
  }
  metric_query {
    id = "invocations"
    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Invocations"
      dimensions  = { FunctionName = module.employee_lambda.lambda_function_name }
      period      = 60
      stat        = "Sum"
    }
  }
  tags = local.tags
}

# consumer lag of each Dojang consumer group (MSK; with Strimzi, the PrometheusRule of the chart)
resource "aws_cloudwatch_metric_alarm" "consumer_lag" {
  for_each = var.kafka_mode == "msk" ? toset(["approval", "processing", "notification", "employee", "identity"]) : toset([])

  alarm_name          = "${local.names["kafka"]}-lag-${each.value}"
  alarm_description   = "Consumer group ${each.value} is more than 1000 events behind for 10 minutes"
  namespace           = "AWS/Kafka"
  metric_name         = "SumOffsetLag"
  dimensions          = { "Cluster Name" = local.names["kafka"], "Consumer Group" = each.value }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 10
  threshold           = 1000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  tags                = local.tags
}
