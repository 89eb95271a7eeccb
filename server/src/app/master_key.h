// The master key that seals account credentials: from AP_MASTER_KEY (64 hex characters or base64 of 32 bytes),
// else from <data-dir>/master.key, which is created (mode 0600, 32 random bytes hex) on first start. Every
// instance on one store must use the same key (with several instances: the same AP_MASTER_KEY); the store keeps a
// canary sealed with it so that an instance with another key refuses to start instead of failing to open
// credentials later (CheckMasterKeyCanary).
#pragma once

#include <string>

#include "common/random.h"
#include "common/status.h"
#include "service/crypto.h"
#include "store/setting_store.h"

namespace ap::app {

// `env_value` is AP_MASTER_KEY's value (empty when unset). InvalidArgument for a malformed key;
// Unavailable when the key file cannot be read or created; FailedPrecondition when the key file is readable
// by group or others (a leaked key unseals every credential).
Result<service::MasterKey> LoadOrCreateMasterKey(const std::string& env_value, const std::string& data_dir,
                                                 Random& random, bool* created);

// The name of the canary setting (store/setting_store.h): a fixed text sealed with the master key (hex).
inline constexpr char kMasterKeyCanary[] = "master-key-canary";

// Opens the store's master-key canary with `key`, or creates it (sealed with `key`, using `random`) when the store
// has none; *created tells which. FailedPrecondition("AP_MASTER_KEY does not open this store's sealed
// credentials: every instance must use the same key") when the canary exists and `key` does not open it; the
// store's error otherwise. Safe when several instances start at once: one canary wins, the others check against it.
Status CheckMasterKeyCanary(store::SettingStore& store, const service::MasterKey& key, Random& random, bool* created);

}  // namespace ap::app
