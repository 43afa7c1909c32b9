/**
 * Where a workload's cloud credentials live: the instance metadata services.
 *
 * Sources:
 * - AWS: "Access instance metadata for an EC2 instance", IPv4 169.254.169.254 and IPv6 [fd00:ec2::254]
 *   (docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html).
 * - Google Cloud: "About VM metadata", metadata.google.internal = 169.254.169.254
 *   (cloud.google.com/compute/docs/metadata/overview).
 * - Azure: "Azure Instance Metadata Service", 169.254.169.254 (learn.microsoft.com/azure/virtual-machines/instance-metadata-service).
 */
export const CLOUD_METADATA_ADDRESSES: readonly string[] = ['169.254.169.254', 'fd00:ec2::254'];
