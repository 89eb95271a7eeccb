#include "service/aws_work_admission.h"

#include <utility>

namespace ap::service {

AwsWorkAdmission::Ticket::Ticket(Ticket&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), user_(std::move(other.user_)) {}

AwsWorkAdmission::Ticket& AwsWorkAdmission::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = std::exchange(other.owner_, nullptr);
    user_ = std::move(other.user_);
  }
  return *this;
}

void AwsWorkAdmission::Ticket::Release() {
  if (AwsWorkAdmission* owner = std::exchange(owner_, nullptr)) owner->Release(user_);
}

AwsWorkAdmission::AwsWorkAdmission(AwsWorkAdmissionOptions options) : options_(options) {
  if (options_.metrics) {
    const std::string help = "Client requests refused a place on the AWS workers, by reason";
    refused_user_ = &options_.metrics->GetCounter("ap_aws_work_refused_total", help, {{"reason", "user_share"}});
    refused_busy_ = &options_.metrics->GetCounter("ap_aws_work_refused_total", help, {{"reason", "busy"}});
  }
}

Result<AwsWorkAdmission::Ticket> AwsWorkAdmission::Admit(const std::string& user) {
  {
    MutexLock lock(mu_);
    auto it = by_user_.find(user);
    size_t mine = it == by_user_.end() ? 0 : it->second;
    if (mine >= options_.per_user) {
      if (refused_user_) refused_user_->Add();
      return ResourceExhausted("too many of your requests are waiting for AWS (at most " +
                               std::to_string(options_.per_user) + " at once); retry after the others finish");
    }
    if (total_ >= options_.total) {
      if (refused_busy_) refused_busy_->Add();
      return Unavailable("the server is busy with AWS requests; retry shortly");
    }
    ++total_;
    ++by_user_[user];
  }
  return Ticket(this, user);
}

void AwsWorkAdmission::Release(const std::string& user) {
  MutexLock lock(mu_);
  --total_;
  auto it = by_user_.find(user);
  if (it != by_user_.end() && --it->second == 0) by_user_.erase(it);  // bounded by the users in flight
}

size_t AwsWorkAdmission::in_flight() const {
  MutexLock lock(mu_);
  return total_;
}

size_t AwsWorkAdmission::in_flight(const std::string& user) const {
  MutexLock lock(mu_);
  auto it = by_user_.find(user);
  return it == by_user_.end() ? 0 : it->second;
}

}  // namespace ap::service
