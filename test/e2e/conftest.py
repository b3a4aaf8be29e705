import pytest

from harness import Api, Cluster, Kcache


@pytest.fixture(scope="session")
def cluster():
    c = Cluster.start()
    yield c
    c.stop()


@pytest.fixture(scope="session")
def kcache(cluster):
    k = Kcache(cluster).start()
    yield k
    k.stop()


@pytest.fixture(scope="session")
def upstream_api(cluster):
    return Api(cluster.url, cluster.ca, cluster.token("admin"))


@pytest.fixture(scope="session")
def kcache_api(cluster, kcache):
    return Api(kcache.url, kcache.ca, cluster.token("admin"))
