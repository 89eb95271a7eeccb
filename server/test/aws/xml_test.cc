#include "aws/xml.h"
#include "status_matchers.h"

#include <gtest/gtest.h>

namespace ap::aws {
namespace {

TEST(Xml, ReadsStsResponse) {
  auto doc = ParseXml(
      "<?xml version=\"1.0\"?>\n<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
      "  <GetCallerIdentityResult>\n    <Arn>arn:aws:iam::123456789012:user/a&lt;b</Arn>\n"
      "    <UserId>AIDA</UserId>\n    <Account>123456789012</Account>\n  </GetCallerIdentityResult>\n"
      "  <!-- comment -->\n  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>\n"
      "</GetCallerIdentityResponse>\n");
  ASSERT_OK(doc);
  EXPECT_EQ(doc->name, "GetCallerIdentityResponse");
  EXPECT_EQ(doc->TextAt({"GetCallerIdentityResult", "Arn"}), "arn:aws:iam::123456789012:user/a<b");
  EXPECT_EQ(doc->TextAt({"GetCallerIdentityResult", "Account"}), "123456789012");
  EXPECT_EQ(doc->TextAt({"ResponseMetadata", "RequestId"}), "r");
  EXPECT_EQ(doc->Find({"Nope"}), nullptr);
}

TEST(Xml, HandlesCdataCharRefsSelfClosingAndPrefixes) {
  auto doc = ParseXml("<a:Root x='1' y=\"a>b\"><a:B/><C><![CDATA[x<y]]>&#65;&#x42;&#x20AC;</C></a:Root>");
  ASSERT_OK(doc);
  EXPECT_EQ(doc->name, "Root");
  ASSERT_EQ(doc->children.size(), 2u);
  EXPECT_EQ(doc->children[0].name, "B");
  EXPECT_EQ(doc->TextAt({"C"}), "x<yAB\xE2\x82\xAC");
}

TEST(Xml, RejectsMalformedAndDoctype) {
  EXPECT_FALSE(ParseXml("").ok());
  EXPECT_FALSE(ParseXml("<a><b></a>").ok());
  EXPECT_FALSE(ParseXml("<a>").ok());
  EXPECT_FALSE(ParseXml("<a>&bogus;</a>").ok());
  EXPECT_FALSE(ParseXml("<!DOCTYPE x [<!ENTITY e \"boom\">]><a>&e;</a>").ok());
  EXPECT_FALSE(ParseXml("<a></a><b></b>").ok());
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<x>";
  EXPECT_FALSE(ParseXml(deep).ok());
}

TEST(Xml, EnforcesDepthAndRefusesInstructionsAndExternalEntities) {
  auto nested = [](int levels) {
    std::string doc;
    for (int i = 0; i < levels; ++i) doc += "<x>";
    for (int i = 0; i < levels; ++i) doc += "</x>";
    return doc;
  };
  EXPECT_OK(ParseXml(nested(64)));
  auto deep = ParseXml(nested(65));
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.status().message().find("nesting too deep"), std::string::npos) << deep.status().ToString();
  EXPECT_FALSE(ParseXml("<a><?php echo 1; ?></a>").ok());
  EXPECT_FALSE(ParseXml("<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a>&x;</a>").ok());
  EXPECT_FALSE(ParseXml("<a>&x;</a>").ok());
}

}  // namespace
}  // namespace ap::aws
