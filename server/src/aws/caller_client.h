// CallerClient<Interface>: the base of every AWS client built on an AwsCaller (StsClient, AccountClient,
// ServiceQuotasClient): it holds the caller its operations go through and, optionally, `keep_alive`, held for as
// long as the client lives (the factory passes the objects the caller refers to, whose references must stay valid).
//
// Thread safety: as the AwsCaller (safe from many threads).
#pragma once

#include <memory>
#include <utility>

#include "aws/aws_caller.h"
#include "aws/clients.h"

namespace ap::aws {

template <class Interface>
class CallerClient : public Interface {
 public:
  explicit CallerClient(AwsCaller caller, std::shared_ptr<void> keep_alive = nullptr)
      : caller_(std::move(caller)), keep_alive_(std::move(keep_alive)) {}

 protected:
  AwsCaller caller_;

 private:
  std::shared_ptr<void> keep_alive_;
};

}  // namespace ap::aws
