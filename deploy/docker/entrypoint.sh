#!/bin/sh
# Orleans advertises an IP address, not a host name: use the pod's (Kubernetes sets POD_IP) or the container's own.
set -e
if [ -z "${Vitrina__Cluster__AdvertisedAddress:-}" ]; then
  Vitrina__Cluster__AdvertisedAddress="${POD_IP:-$(hostname -i | awk '{print $1}')}"
  export Vitrina__Cluster__AdvertisedAddress
fi
exec dotnet /app/vitrina-silo.dll "$@"
