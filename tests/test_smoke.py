def test_it_redirects_anonymous_home_to_login(client):
    response = client.get("/en/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
