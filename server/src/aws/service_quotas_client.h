// ServiceQuotasClient: ServiceQuotas (clients.h) over JSON 1.1 — POST / with
// `Content-Type: application/x-amz-json-1.1` and `X-Amz-Target: ServiceQuotasV20190624.<Operation>` to
// https://servicequotas.<region>.amazonaws.com. List operations follow every NextToken with MaxResults 100.
//
// Thread safety: safe from many threads. Ownership: see CallerClient (caller_client.h).
#pragma once

#include "aws/caller_client.h"

namespace ap::aws {

class ServiceQuotasClient final : public CallerClient<ServiceQuotas> {
 public:
  using CallerClient::CallerClient;

  // Errors as in clients.h (NotFound: NoSuchResourceException); Internal when a 200 answer cannot be read, or when
  // a list does not terminate (more than 10,000 pages, or a NextToken that repeats).
  Result<ServiceQuota> GetServiceQuota(const Credentials& creds, const std::string& region,
                                       const std::string& service_code, const std::string& quota_code) override;
  Result<ServiceQuota> GetAWSDefaultServiceQuota(const Credentials& creds, const std::string& region,
                                                 const std::string& service_code,
                                                 const std::string& quota_code) override;
  Result<std::vector<ServiceQuota>> ListServiceQuotas(const Credentials& creds, const std::string& region,
                                                      const std::string& service_code) override;
  Result<std::vector<ServiceQuota>> ListAWSDefaultServiceQuotas(const Credentials& creds, const std::string& region,
                                                                const std::string& service_code) override;
  Result<RequestedQuotaChange> RequestServiceQuotaIncrease(const Credentials& creds, const std::string& region,
                                                           const std::string& service_code,
                                                           const std::string& quota_code,
                                                           double desired_value) override;
  Result<std::vector<RequestedQuotaChange>> ListRequestedServiceQuotaChangeHistoryByQuota(
      const Credentials& creds, const std::string& region, const std::string& service_code,
      const std::string& quota_code) override;
  Result<RequestedQuotaChange> GetRequestedServiceQuotaChange(const Credentials& creds, const std::string& region,
                                                              const std::string& request_id) override;

 private:
  Result<ServiceQuota> GetOne(const char* operation, const Credentials& creds, const std::string& region,
                              const std::string& service_code, const std::string& quota_code);
  Result<std::vector<ServiceQuota>> ListAll(const char* operation, const Credentials& creds, const std::string& region,
                                            const std::string& service_code);
};

}  // namespace ap::aws
