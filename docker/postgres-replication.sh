#!/bin/sh
# Run once by the official postgres image when it creates the cluster (docker-entrypoint-initdb.d):
# the replica (service db-replica) may stream from it as the portal's user.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
