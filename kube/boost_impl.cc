// The one translation unit that compiles Asio, Beast, Boost.JSON and Boost.URL, so the rest of the
// tree includes only their declarations (BOOST_*_SEPARATE_COMPILATION, set in CMakeLists.txt).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
