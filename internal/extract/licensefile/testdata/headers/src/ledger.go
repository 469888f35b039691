// Copyright 2024 ACME Bank plc. All rights reserved.

package ledger
